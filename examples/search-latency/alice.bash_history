ls
cd ~/src/search-api
vim ~/.bashrc
#1748254462
git clone git@github.com:shop/search-api.git
#1748254501
cd search-api
#1748254540
go test ./...
#1748257337
kubectl -n search get pods
#1748257385
kubectl -n search port-forward svc/search-api 8080:80
#1748257420
curl -s 'localhost:8080/api/search?q=boots' | jq '.hits | length'
#1748338212
git checkout -b alice/query-timeouts
#1748355768
docker build -t search-api:dev .
#1748364069
git push -u origin alice/query-timeouts
#1748873285
kubectl -n search get pods
#1748873448
curl -s -o /dev/null -w '%{http_code} %{time_total}\n' 'https://www.shop.example/api/search?q=running+shoes'
#1748873560
redis-cli -h search-cache.prod.internal info stats | grep -E 'keyspace_(hits|misses)'
#1748873582
kubectl -n search logs deploy/search-api --since=30m | grep -c "pool timeout"
#1748873840
PGPASSWORD='r0-Kq7vT9xWb2LmN' psql -h db1.search.prod.internal -U search_ro -d search -c "select state, count(*) from pg_stat_activity group by state"
#1748874270
kubectl -n search get deploy search-api -o jsonpath='{.metadata.annotations}'
#1748874640
curl -s -o /dev/null -w '%{http_code} %{time_total}\n' 'https://www.shop.example/api/search?q=running+shoes'
#1748875130
curl -s -o /dev/null -w '%{http_code} %{time_total}\n' 'https://www.shop.example/api/search?q=running+shoes'
#1748875265
kubectl -n search get hpa
#1748875565
redis-cli -h search-cache.prod.internal info stats | grep -E 'keyspace_(hits|misses)'
#1748875900
kubectl -n search create job reindex-delta-0602 --from=cronjob/search-reindex-delta
#1748875935
kubectl -n search get pods -l job-name=reindex-delta-0602
#1748876030
kubectl -n search logs -f job/reindex-delta-0602 --tail=5
#1748877280
curl -s -o /dev/null -w '%{http_code} %{time_total}\n' 'https://www.shop.example/api/search?q=running+shoes'
#1748877320
redis-cli -h search-cache.prod.internal info stats | grep -E 'keyspace_(hits|misses)'
