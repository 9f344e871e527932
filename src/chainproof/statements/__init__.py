"""Annual statements under modern-slavery and forced-labour laws, drafted from the record."""
