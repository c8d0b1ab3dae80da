from ninja import NinjaAPI

api = NinjaAPI(title="smedx API", version="1.0.0", urls_namespace="api-1.0.0")
