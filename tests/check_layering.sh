#!/usr/bin/env bash
# Fails when a layer includes what it must not know:
#   store  -> no Flight;   server -> no files (filesystem, paths, fstream);
#   server -> no auth (auth plugs in through server/authorizer.h);
#   auth   -> of the store, only store::DatasetName;
#   sql    -> no Flight, no server or auth; of the store, only its public API
#             (dataset_store.h, dataset_info.h, dataset_name.h, read_spec.h);
#             the engine (duckdb.h) only in sql/duckdb;
#   flightsql -> the protocol messages only: no Flight, no store, no engine;
#   console -> no files either; of the store, only its public API (dataset_store.h,
#              dataset_info.h, dataset_name.h, manifest.h, read_spec.h); only the app
#              composes it (no other library includes the console);
#   the store's rooms, one way: store -> parquet -> cache -> fs; parquet -> model;
#          model includes no other room, fs and cache include neither model nor parquet,
#          and no room includes the store's top (quiver/store/*.h);
#   cli, client -> clients of quiverd: no store, server, sql, auth, console or app (the
#          CLI speaks Flight SQL with flightsql's codec alone);
#   any    -> no other library's `*_internal.h` (what is not its public surface).
set -u
src=$1
status=0
if grep -rnE '#include [<"]arrow/flight' "$src/store"; then
  echo "layering: the store layer must not include Flight headers" >&2
  status=1
fi
if grep -rnE '#include [<"](arrow/filesystem|filesystem>|fstream>|arrow/io/file\.h)|std::filesystem' "$src/server"; then
  echo "layering: the server layer must not touch files (go through the store)" >&2
  status=1
fi
if grep -rnE '#include [<"]quiver/auth/' "$src/server" "$src/store"; then
  echo "layering: server and store must not include auth (use server::Authorizer)" >&2
  status=1
fi
if grep -rnE '#include [<"]quiver/store/' "$src/auth" | grep -v 'quiver/store/model/dataset_name\.h'; then
  echo "layering: auth may only use store::DatasetName from the store" >&2
  status=1
fi
if grep -rnE '#include [<"](arrow/flight|quiver/server/|quiver/auth/)' "$src/sql" "$src/flightsql"; then
  echo "layering: sql and flightsql know nothing of Flight, the server or auth" >&2
  status=1
fi
if grep -rnE '#include [<"]quiver/store/' "$src/sql" |
    grep -vE 'quiver/store/(dataset_store|model/dataset_info|model/dataset_name|model/read_spec)\.h'; then
  echo "layering: sql reaches the store through its public API only" >&2
  status=1
fi
if grep -rnE '#include [<"](quiver/store/|quiver/sql/)' "$src/flightsql"; then
  echo "layering: flightsql is the protocol alone" >&2
  status=1
fi
if grep -rnE '#include [<"]duckdb' "$src" | grep -v "^$src/sql/duckdb/"; then
  echo "layering: only sql/duckdb includes the engine's headers" >&2
  status=1
fi
if grep -rnE '#include [<"](arrow/filesystem|filesystem>|fstream>|arrow/io/file\.h)|std::filesystem' "$src/console"; then
  echo "layering: the console must not touch files (go through the store)" >&2
  status=1
fi
if grep -rnE '#include [<"]quiver/store/' "$src/console" |
    grep -vE 'quiver/store/(dataset_store|model/dataset_info|model/dataset_name|model/manifest|model/read_spec)\.h'; then
  echo "layering: the console may only use the store's public API" >&2
  status=1
fi
if grep -rnE '#include [<"]quiver/console/' "$src" | grep -vE "^$src/(console|app)/"; then
  echo "layering: only the app may include the console" >&2
  status=1
fi
if grep -rnE '#include [<"]quiver/(store|server|sql|auth|console|app)/' "$src/cli" "$src/client"; then
  echo "layering: cli and client talk to quiverd over Flight: they include no server-side layer" >&2
  status=1
fi
# room_may_not ROOM PATTERN WHY: ROOM's files must not include headers matching PATTERN.
room_may_not() {
  if grep -rnE "#include \"quiver/store/($2)" "$src/store/$1"; then
    echo "layering: store/$1 $3" >&2
    status=1
  fi
}
top='[a-z0-9_]+\.h'
room_may_not model "fs/|cache/|parquet/|$top" "depends on common only (no other room)"
room_may_not fs "model/|cache/|parquet/|$top" "is the bottom room: it includes no other"
room_may_not cache "model/|parquet/|$top" "may include only store/fs"
room_may_not parquet "$top" "may not include the store's top (dataset_store, catalog, ...)"
while IFS=: read -r file _ header; do
  if [ "$(dirname "${file#"$src"/}")" != "$(dirname "${header#quiver/}")" ]; then
    echo "layering: $file includes $header, internal to another library" >&2
    status=1
  fi
done < <(grep -rnoE '"quiver/[a-z_/]+_internal\.h"' "$src" | tr -d '"')
[ $status -eq 0 ] && echo "layering: ok"
exit $status
