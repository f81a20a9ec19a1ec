#1710252100
kubectl -n search get pods
#1710252133
kubectl -n search describe pod search-7f9c4d-x2p
#1710252201
curl -sS -X POST https://alertmanager.acme.internal/api/v2/silences \
  -H 'Content-Type: application/json' \
  -d @silence-search.json

#1710252290
helm -n search rollback search 17
