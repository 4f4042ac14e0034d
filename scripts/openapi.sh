#!/usr/bin/env bash
# Writes the trainer's OpenAPI document as it serves it (GET /openapi/v1.json) to docs/openapi/trainer-v1.json, the
# copy that is checked in and that a test compares with what the service serves; then lints it with Redocly CLI when
# .tools/redocly holds it (.ci/run installs it there).
#   bash scripts/openapi.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build Trainer -c Release -v q -nologo >/dev/null
data=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
Trainer/bin/Release/net10.0/linux-x64/AspireSimClr.Trainer --urls "http://127.0.0.1:$port" --Trainer:DataRoot="$data" > "$data/trainer.log" 2>&1 &
trainer=$!
trap 'kill $trainer 2>/dev/null; wait $trainer 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$port/openapi/v1.json" | python3 -m json.tool --indent 2 > docs/openapi/trainer-v1.json
echo "docs/openapi/trainer-v1.json: $(python3 -c 'import json; d = json.load(open("docs/openapi/trainer-v1.json")); print(len(d["paths"]), "paths,", len(d["components"]["schemas"]), "schemas")')"
redocly=.tools/redocly/node_modules/.bin/redocly
if [ -x "$redocly" ]; then "$redocly" lint docs/openapi/trainer-v1.json --config docs/openapi/redocly.yaml --format=summary; fi
