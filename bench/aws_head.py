#!/usr/bin/python3
"""HEADs every key given, one after the other, in one process, through the aws CLI's own S3 client.

    aws_head.py ENDPOINT BUCKET KEY...

The client is botocore as Debian's awscli 2.9 ships it (awscli.botocore: the
library /usr/bin/aws itself makes its requests with), path-style addressing,
credentials and region from the environment; each response is printed as one
JSON line on stdout, as `aws s3api head-object` prints it. What it leaves out is
the aws CLI's start-up (about 1 s of CPU per process here) and its per-command
argument processing. (The CLI's own driver, awscli.clidriver, cannot stand in:
called again in one process it registers its argument handlers once more per
call, so the n-th call costs O(n) — 18 ms at first, 52 ms after 1,200 calls —
and its User-Agent grows until the gateway answers 400.) bench/audit.sh feeds
it from xargs. Exits 1 when any HEAD failed.
"""
import json
import sys

from awscli.botocore.config import Config
from awscli.botocore.session import get_session


def main():
    endpoint, bucket, keys = sys.argv[1], sys.argv[2], sys.argv[3:]
    client = get_session().create_client("s3", endpoint_url=endpoint, config=Config(s3={"addressing_style": "path"}))
    failed = 0
    for key in keys:
        try:
            response = client.head_object(Bucket=bucket, Key=key)
        except Exception as e:  # noqa: BLE001 - reported and counted, as the CLI would exit 254
            print(f"aws_head.py: {key}: {e}", file=sys.stderr)
            failed += 1
            continue
        response.pop("ResponseMetadata", None)
        print(json.dumps(response, default=str))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
