cd ~/src/search
git pull
make test
kubectl -n search get pods
