-- The report year the marts were built for and the date they are cut at (macros/as_of.sql):
-- publishing checks it, so figures built as of one year are never published under another.
select
    cast({{ var('report_year') }} as integer) as report_year,
    {{ as_of_date() }} as as_of_date
