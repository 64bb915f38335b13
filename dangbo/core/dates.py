def years_before(day, years):
    """The same calendar day ``years`` earlier (28/02 for a 29/02 that does not exist then)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
