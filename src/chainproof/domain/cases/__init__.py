"""Detention cases, in pure Python: entry numbers and their check digit, the deadlines a
detention sets running (as data, with citations), and the ports of entry whose local date
starts them. The Django app stores cases; these modules say what the dates and numbers
mean."""
