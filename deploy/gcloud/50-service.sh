#!/usr/bin/env bash
# Step 5: the Cloud Run service. Re-run after a new image or a new docket.toml version (new revision).
#
# Public ingress, no Cloud Run invoker check (--no-invoker-iam-check): manager links are opened in a
# browser that carries no Google token, and the Docs menu's tokens are issued for the Apps Script
# OAuth client, not for this URL. Docket checks every non-public route itself: /tasks/* want an
# OIDC token for auth.audience from auth.scheduler_service_accounts, /addon/* a token for one of
# auth.addon_client_ids from organization.domains, /links/<token> a signature made with
# DOCKET_SECRET_KEY. Only /healthz is open. README §"Why the service is public".
source "$(dirname "$0")/env.sh"

secrets="/etc/docket/docket.toml=${CONFIG_SECRET}:latest,DOCKET_SECRET_KEY=${KEY_SECRET}:latest"
# The Chat webhook, when 40-secrets.sh stored one: the environment variable docket.toml names.
if gcloud secrets describe "$WEBHOOK_SECRET" --project="$PROJECT_ID" >/dev/null 2>&1; then
  secrets+=",DOCKET_CHAT_WEBHOOK=${WEBHOOK_SECRET}:latest"
fi
# The work data tokens that exist in Secret Manager become environment variables (40-secrets.sh).
while IFS='=' read -r secret variable; do
  if gcloud secrets describe "$secret" --project="$PROJECT_ID" >/dev/null 2>&1; then
    secrets+=",${variable}=${secret}:latest"
  fi
done < <(token_secrets)

gcloud run deploy "$SERVICE" --project="$PROJECT_ID" --region="$REGION" \
  --image="$IMAGE" \
  --service-account="$RUNTIME_SA" \
  --no-invoker-iam-check \
  --ingress=all \
  --set-env-vars="DOCKET_CONFIG=/etc/docket/docket.toml" \
  --set-secrets="$secrets" \
  --timeout=900 \
  --concurrency=8 \
  --cpu=1 --memory=512Mi \
  --min-instances=0 --max-instances=4

# Not needed while the invoker check is off, but it keeps Scheduler and Tasks working if you
# later turn the check on (their tokens' audience is the service URL, which Cloud Run accepts).
gcloud run services add-iam-policy-binding "$SERVICE" --project="$PROJECT_ID" --region="$REGION" \
  --member="serviceAccount:${INVOKER_SA}" --role=roles/run.invoker >/dev/null

url="$(service_url)"
echo "Docket is at ${url} (also: $(gcloud run services describe "$SERVICE" --project="$PROJECT_ID" --region="$REGION" --format='value(status.url)'))"
curl -fsS "${url}/healthz" && echo
