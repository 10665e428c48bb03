# A thin alias of ./dev (which needs only bash and python3): `make run` = `./dev run`, etc.
.PHONY: run test setup lint bench sandbox serve bundle clean

run test setup lint bench sandbox serve bundle:
	./dev $@ $(ARGS)

clean:
	rm -rf .venv build dist *.egg-info .pytest_cache .ruff_cache
