#!/usr/bin/env bash
# Step 8: push the Docs add-on (deploy/apps_script) to its Apps Script project with clasp.
# Needs: npm install -g @google/clasp; clasp login; the Apps Script API enabled for your user
# (https://script.google.com/home/usersettings); SCRIPT_ID of the project (README step 8).
# The manifest's urlFetchWhitelist is filled in with this deployment's URL; the code reads the
# same URL from the Script Property DOCKET_URL (set once in the editor: README step 8).
source "$(dirname "$0")/env.sh"
cd "$(dirname "$0")/../.."
: "${SCRIPT_ID:?set SCRIPT_ID to the Apps Script project id (Project Settings > IDs)}"

url="$(service_url)"
build="$(mktemp -d)"
cp deploy/apps_script/Code.js "$build/"
sed "s#https://docket-PROJECT_NUMBER.REGION.run.app/#${url}/#" deploy/apps_script/appsscript.json > "$build/appsscript.json"
printf '{"scriptId": "%s", "rootDir": "%s"}\n' "$SCRIPT_ID" "$build" > "$build/.clasp.json"
(cd "$build" && clasp push --force)
echo "Pushed to https://script.google.com/d/${SCRIPT_ID}/edit ; Script Property DOCKET_URL must be ${url}"
