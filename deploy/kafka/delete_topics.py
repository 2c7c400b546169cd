"""Delete every topic of one namespace (a test stack's prefix) — the
counterpart of `apply_topics.py --prefix`. Refuses an empty prefix: the
un-namespaced topics are the real deployment's."""

from __future__ import annotations

import argparse
import asyncio
import sys

from aiokafka.admin import AIOKafkaAdminClient


async def delete(bootstrap: str, prefix: str) -> int:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        names = [t for t in await admin.list_topics() if t.startswith(prefix)]
        if names:
            await admin.delete_topics(names)
        print(f"delete_topics: {len(names)} topics with prefix {prefix!r} deleted")
        return 0
    finally:
        await admin.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--prefix", required=True)
    args = parser.parse_args()
    if not args.prefix.strip():
        print("delete_topics: refusing an empty prefix", file=sys.stderr)
        return 2
    return asyncio.run(delete(args.bootstrap, args.prefix))


if __name__ == "__main__":
    sys.exit(main())
