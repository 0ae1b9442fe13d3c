# Conveniences for people who have make; the README's commands need only Go
# (and bash for the tests).
.PHONY: run test lint bench build

run:
	go run ./cmd/netra serve --demo

test:
	./test.sh

lint:
	gofmt -l . | (! grep .)
	go vet ./...
	go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

bench:
	go run ./cmd/netra-bench import -n 200000 -engine sqlite

build:
	go build -o bin/netra ./cmd/netra
