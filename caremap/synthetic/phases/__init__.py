"""The phases of the synthetic city, one module each, run in order by generate_city."""
