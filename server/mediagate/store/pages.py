"""The one query shape every listing uses: newest first (ids sort by creation time), rows of
one tenant matching equality filters, starting below the last id of the previous page."""

from __future__ import annotations


def newest_first(
    table: str, columns: str, filters: dict[str, str], before_id: str, limit: int
) -> tuple[str, list[object]]:
    """SQL and its arguments. Filters with an empty value are left out (they mean "all")."""
    where: list[str] = []
    args: list[object] = []
    for column, value in filters.items():
        if value:
            where.append(f"{column} = ?")
            args.append(value)
    if before_id:
        where.append("id < ?")
        args.append(before_id)
    sql = f"SELECT {columns} FROM {table} WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?"
    args.append(limit)
    return sql, args
