#!/usr/bin/env bash
# Fails when a layer includes what it must not know:
#   store  -> no Flight;   server -> no files (filesystem, paths, fstream).
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
[ $status -eq 0 ] && echo "layering: ok"
exit $status
