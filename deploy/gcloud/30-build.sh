#!/usr/bin/env bash
# Step 3: the Artifact Registry repository and the image, built by Cloud Build from deploy/Dockerfile
# as its own service account (new projects give Cloud Build's default account no roles).
# With Docker at hand instead:
#   gcloud auth configure-docker "${REGION}-docker.pkg.dev"
#   docker build -f deploy/Dockerfile -t "$IMAGE" . && docker push "$IMAGE"
source "$(dirname "$0")/env.sh"
cd "$(dirname "$0")/../.."
BUILD_SA="docket-build@${PROJECT_ID}.iam.gserviceaccount.com"

gcloud artifacts repositories describe "$REPOSITORY" --location="$REGION" --project="$PROJECT_ID" >/dev/null 2>&1 ||
  gcloud artifacts repositories create "$REPOSITORY" --location="$REGION" --project="$PROJECT_ID" \
    --repository-format=docker --description="Docket images"

gcloud iam service-accounts describe "$BUILD_SA" --project="$PROJECT_ID" >/dev/null 2>&1 ||
  gcloud iam service-accounts create docket-build --project="$PROJECT_ID" --display-name="Docket image builds"
# Read the uploaded source, write logs, push the image.
for role in roles/storage.objectViewer roles/logging.logWriter; do
  gcloud projects add-iam-policy-binding "$PROJECT_ID" --condition=None \
    --member="serviceAccount:${BUILD_SA}" --role="$role" >/dev/null
done
gcloud artifacts repositories add-iam-policy-binding "$REPOSITORY" --location="$REGION" --project="$PROJECT_ID" \
  --member="serviceAccount:${BUILD_SA}" --role=roles/artifactregistry.writer >/dev/null

gcloud builds submit . --project="$PROJECT_ID" --region="$REGION" \
  --service-account="projects/${PROJECT_ID}/serviceAccounts/${BUILD_SA}" \
  --config=deploy/cloudbuild.yaml --ignore-file=deploy/.gcloudignore \
  --substitutions="_IMAGE=${IMAGE}"
