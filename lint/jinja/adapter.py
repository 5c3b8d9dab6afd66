"""dbt's ``adapter`` for sqlfluff's jinja templater (.sqlfluff ``library_path``): linting has no
warehouse, so every relation looks absent and models take their no-warehouse branch."""


def get_relation(**_kwargs):
    return None
