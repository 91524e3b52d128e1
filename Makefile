# Shortcuts for scripts/dev.sh, which does the work (install, build, run, test).
.PHONY: run test asan build format bench
run:
	scripts/dev.sh run
test:
	scripts/dev.sh test
asan:
	scripts/dev.sh asan
build:
	scripts/dev.sh build
format:
	scripts/dev.sh format
bench:
	scripts/dev.sh bench
