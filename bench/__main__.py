"""Benchmarks, reported as ratios so they mean the same on any machine.

Each benchmark times one operation at 1× and at 10× data (or against a floor operation measured in
the same run) and prints the ratio. A list page that paginates should stay near 1.0 however large
the roster grows; an import should grow linearly, not worse.

    make bench
"""

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xianfeng.settings_test")
os.environ.setdefault(
    "SQLITE_PATH", os.path.join(tempfile.mkdtemp(prefix="xianfeng-bench-"), "bench.sqlite3")
)


def _median_seconds(operation: Callable[[], object], repeat: int = 7) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        operation()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from xianfeng.core.models import Role
    from xianfeng.people.models import Person
    from xianfeng.testing import PersonFactory, build_school

    call_command("migrate", verbosity=0)
    school = build_school(slug="bench", name="基准测试教育系统")
    client = Client()
    client.force_login(school.users[Role.SECRETARY])

    def grow_to(total: int) -> None:
        missing = total - Person.objects.filter(tenant=school.tenant).count()
        for i in range(missing):
            PersonFactory(organization=school.branch if i % 2 else school.group)

    def member_list() -> None:
        response = client.get("/people/", {"q": "zw"})
        assert response.status_code == 200

    def tree() -> None:
        assert client.get("/organizations/").status_code == 200

    results = []
    grow_to(50)
    small_list, small_tree = _median_seconds(member_list), _median_seconds(tree)
    grow_to(500)
    large_list, large_tree = _median_seconds(member_list), _median_seconds(tree)
    results.append(("人员名册（搜索拼音首字母）10×/1×", large_list / small_list))
    results.append(("组织架构 10×/1×", large_tree / small_tree))

    from xianfeng.campaigns.templating.loader import load_template

    folder = os.path.join(
        os.path.dirname(__file__), "..", "xianfeng", "campaigns", "builtin_templates"
    )
    texts = [
        open(os.path.join(folder, name), encoding="utf-8").read()
        for name in sorted(os.listdir(folder))
        if name.endswith(".yaml")
    ]
    floor = _median_seconds(lambda: client.get("/healthz"))
    load_all = _median_seconds(lambda: [load_template(text) for text in texts], repeat=3)
    results.append(("载入五个内置模板 / 一次健康检查请求", load_all / floor))

    width = max(len(name) for name, _ in results)
    for name, ratio in results:
        print(f"{name.ljust(width)}  {ratio:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
