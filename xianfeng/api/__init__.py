"""The HTTP API (django-ninja) over the same access layer as the pages; see xianfeng/api/api.py."""
