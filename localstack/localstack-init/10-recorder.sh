#!/usr/bin/env bash
# LocalStack init hook (runs inside the container when it is ready): the
# recordings bucket, the recorder worker's role, an archivist role, and a
# host KMS key whose policy lets the worker only Encrypt and DescribeKey.
# The service that writes recordings must never be able to decrypt them.
set -euo pipefail
ACCOUNT=000000000000
BUCKET=${RECORDER_BUCKET:-recordings}

awslocal s3 mb "s3://$BUCKET"

TRUST='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::'$ACCOUNT':root"},"Action":"sts:AssumeRole"}]}'
awslocal iam create-role --role-name recorder-worker --assume-role-policy-document "$TRUST" >/dev/null
awslocal iam create-role --role-name recorder-archivist --assume-role-policy-document "$TRUST" >/dev/null

POLICY=$(cat <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "KeyAdministration", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::$ACCOUNT:root"},
     "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
                "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource",
                "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"],
     "Resource": "*"},
    {"Sid": "RecorderWrapsOnly", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::$ACCOUNT:role/recorder-worker"},
     "Action": ["kms:Encrypt", "kms:DescribeKey"], "Resource": "*"},
    {"Sid": "RecorderNeverUnwraps", "Effect": "Deny",
     "Principal": {"AWS": "arn:aws:iam::$ACCOUNT:role/recorder-worker"},
     "Action": ["kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant"], "Resource": "*"},
    {"Sid": "ArchivistUnwraps", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::$ACCOUNT:role/recorder-archivist"},
     "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}
  ]
}
JSON
)
ARN=$(awslocal kms create-key --description "Recorder host key (demo)" --policy "$POLICY" --query KeyMetadata.Arn --output text)
awslocal kms create-alias --alias-name alias/recorder-host-demo --target-key-id "$ARN"
echo "RECORDER_KMS_KEY_ARN=$ARN"
