"""Calendar arithmetic the directory (confirmation intervals) and the care process (evaluations) share."""


def add_months(moment, months):
    """The same day ``months`` calendar months later (or earlier), clamped to the end of a shorter month.

    Works for dates and datetimes alike: 31 January plus one month is 28 or 29 February.
    """
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError(moment)
