{#- Year-partitioned incremental models: a refresh that adds a year recomputes only the years
    the new deliveries can change, instead of every person-year since 2011.

    A model built this way keeps its inputs beside itself, in <model>__inputs: every delivery
    it was computed from (source, extract_year, sha256, from raw._deliveries, which the loader
    writes) and a fingerprint of the code and reference data. The next build compares:
      - no inputs table, no raw._deliveries, or another fingerprint (changed models, macros or
        seeds, another var indicator_ids): every year is recomputed;
      - otherwise, for each changed, new or withdrawn delivery of a source the partition reads,
        the years from the delivery's extract year minus the source's meta
        rebuild_years_back on (a register delivered per year reaches back a little: the school
        year (Y-1)/Y, the October-September windows); a source without it (spells re-delivered
        with their history) recomputes every year.
    `dbt build --full-refresh` rebuilds from scratch as always. -#}

{#- Everything a partition's rows depend on besides the deliveries. The Dagster job passes a
    hash of the dbt project's files in env BOLIGMONITOR_CODE_FINGERPRINT (it sees macros too;
    read only at run time, so it never invalidates dbt's partial parse); plain dbt falls back
    to the checksums of every node (models, seeds, tests). -#}
{% macro code_fingerprint() -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set given = env_var('BOLIGMONITOR_CODE_FINGERPRINT', '') -%}
    {%- set parts = [given, tojson(var('indicator_ids', none))] -%}
    {%- if not given -%}
        {%- for unique_id, node in graph.nodes.items() | sort -%}
            {%- do parts.append(unique_id ~ '=' ~ node.checksum.checksum) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(local_md5(parts | join('|'))) }}
{%- endmacro %}

{% macro rebuild_inputs_relation() -%}
    {{ return(this.incorporate(path={"identifier": this.identifier ~ "__inputs"})) }}
{%- endmacro %}

{#- The dbt sources a node reads, directly or through other models. -#}
{% macro _collect_upstream_sources(node_id, found, visited) -%}
    {%- if node_id in visited -%}{{ return(found) }}{%- endif -%}
    {%- do visited.append(node_id) -%}
    {%- if node_id in graph.sources -%}
        {%- do found.append(graph.sources[node_id]) -%}
    {%- elif node_id in graph.nodes -%}
        {%- for parent in graph.nodes[node_id].depends_on.nodes -%}
            {%- do _collect_upstream_sources(parent, found, visited) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found) }}
{%- endmacro %}

{#- {partition: first year to recompute} for the partitions of an incremental model, each a
    model whose sources decide (the model itself when it has one partition), together with the
    sources of the models in `shared`, which every partition reads too. An empty dict means a
    full build (the first, or --full-refresh); 0 means every year, 9999 none. -#}
{% macro years_to_rebuild(partitions, shared=[]) -%}
    {%- set plan = {} -%}
    {%- if not execute or not is_incremental() -%}{{ return(plan) }}{%- endif -%}
    {%- set inputs = rebuild_inputs_relation() -%}
    {%- set stored = adapter.get_relation(database=inputs.database, schema=inputs.schema, identifier=inputs.identifier) -%}
    {%- set deliveries = adapter.get_relation(database=this.database, schema='raw', identifier='_deliveries') -%}
    {%- set everything = stored is none or deliveries is none -%}
    {%- if not everything -%}
        {%- set fingerprints = run_query("select distinct fingerprint from " ~ inputs).columns[0].values() -%}
        {%- set everything = fingerprints | list != [code_fingerprint()] -%}
    {%- endif -%}
    {%- if everything -%}
        {%- for partition in partitions -%}{%- do plan.update({partition: 0}) -%}{%- endfor -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- set changed_sql -%}
        with now as (select source, extract_year, sha256 from {{ deliveries }}),
        was as (select source, extract_year, sha256 from {{ inputs }} where source is not null),
        changed as ((select * from now except select * from was) union all (select * from was except select * from now))
        select source, min(extract_year) as first_year from changed group by source
    {%- endset -%}
    {%- set first_changed = {} -%}
    {%- for row in run_query(changed_sql).rows -%}{%- do first_changed.update({row[0]: row[1]}) -%}{%- endfor -%}
    {%- for partition in partitions -%}
        {%- set node_id = 'model.' ~ project_name ~ '.' ~ partition -%}
        {%- set first = [9999] -%}
        {%- set sources = _collect_upstream_sources(node_id, [], []) -%}
        {%- for model in shared -%}
            {%- do _collect_upstream_sources('model.' ~ project_name ~ '.' ~ model, sources, []) -%}
        {%- endfor -%}
        {%- for source in sources if source.name in first_changed -%}
            {%- set years_back = source.config.get("meta", {}).get("rebuild_years_back", source.meta.get("rebuild_years_back")) -%}
            {%- do first.append(0 if years_back is none else first_changed[source.name] - years_back) -%}
        {%- endfor -%}
        {%- do plan.update({partition: first | min}) -%}
    {%- endfor -%}
    {{ log(this.identifier ~ ": recomputing " ~ (plan | tojson), info=true) }}
    {{ return(plan) }}
{%- endmacro %}

{#- pre_hook: remove the rows of the years about to be recomputed (also those that now have
    none, e.g. a withdrawn year). partition_column names the partition of a row. -#}
{% macro delete_years_to_rebuild(partitions, year_column, partition_column=none, shared=[]) -%}
    {%- set plan = years_to_rebuild(partitions, shared) -%}
    {%- if plan and plan.values() | list | unique | list == [0] -%}
    {#- everything: also a table built before these columns existed -#}
    delete from {{ this }}
    {%- elif plan -%}
    delete from {{ this }} where
        {%- for partition, first in plan.items() %}
        ({% if partition_column %}{{ partition_column }} = '{{ partition }}' and {% endif %}{{ year_column }} >= {{ first }})
        {%- if not loop.last %} or{% endif %}
        {%- endfor %}
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}

{#- post_hook: record the deliveries and fingerprint this build was computed from. -#}
{% macro save_rebuild_inputs() -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set deliveries = adapter.get_relation(database=this.database, schema='raw', identifier='_deliveries') -%}
    create or replace table {{ rebuild_inputs_relation() }} as
    {% if deliveries is not none -%}
    select source, extract_year, sha256, '{{ code_fingerprint() }}' as fingerprint from {{ deliveries }}
    union all
    {% endif -%}
    select null::varchar, null::integer, null::varchar, '{{ code_fingerprint() }}'
{%- endmacro %}
