"""Data in and out in open formats: FollowTheMoney, Open Supply Hub, the organization as JSON."""
