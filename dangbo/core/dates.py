import datetime


def years_before(day, years):
    """The same calendar day ``years`` earlier (28/02 for a 29/02 that does not exist then)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def add_months(day, months):
    """``day`` plus ``months`` calendar months, clamped to the month's last day (31/01 + 1 → 28/02 or 29/02)."""
    import calendar

    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def month_end(day):
    """The last day of ``day``'s month."""
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
