"""Vietnamese administrative units after the 2025 reorganization (34 provinces, about 3,300 wards and
communes, no districts), from the ``vietnam-provinces`` package. Codes are the statistics office's."""

from functools import lru_cache

from dangbo.core.text import fold


@lru_cache(maxsize=1)
def provinces():
    """``[(code, name)]`` sorted the Vietnamese way (accents folded)."""
    from vietnam_provinces import Province

    return sorted(((int(p.code), p.name) for p in Province.iter_all()), key=lambda p: fold(p[1]))


@lru_cache(maxsize=64)
def wards(province_code):
    """``[(code, name)]`` of the wards and communes of a province, sorted."""
    from vietnam_provinces import Ward

    try:
        found = Ward.iter_by_province(int(province_code))
        return sorted(((int(w.code), w.name) for w in found), key=lambda w: fold(w[1]))
    except (ValueError, KeyError, TypeError):
        return []


def province_name(code):
    return dict(provinces()).get(code, "") if code else ""


def ward_name(province_code, ward_code):
    return dict(wards(province_code)).get(ward_code, "") if (province_code and ward_code) else ""


def ward_in_province(province_code, ward_code):
    return any(code == ward_code for code, _name in wards(province_code))


def address(street, province_code, ward_code):
    """One line: house and street, ward or commune, province."""
    parts = [street, ward_name(province_code, ward_code), province_name(province_code)]
    return ", ".join(p for p in parts if p)
