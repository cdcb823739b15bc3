# zpgen — build, samples, tests.  See README.md for the two commands.
VERSION := 0.1.0
PREFIX ?= /usr/local
DESTDIR ?=

CC ?= cc
PKGS := libxml-2.0 freetype2 fontconfig harfbuzz harfbuzz-subset libcjson libunibreak libdeflate zlib
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhpdf -lm
CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

WARN := -Wall -Wextra -Werror -Wno-unused-parameter
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=gnu11 $(WARN) $(CFLAGS) $(PKG_CFLAGS) -Igen -Ibuild/gen \
  -DZP_VERSION='"$(VERSION)"'
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

SRCS := $(filter-out gen/main.c,$(wildcard gen/*.c))
GEN_SRCS := build/gen/schema.c
OBJS := $(patsubst gen/%.c,build/obj/%.o,$(SRCS)) build/obj/schema.o
SAN_OBJS := $(patsubst gen/%.c,build/san/%.o,$(SRCS)) build/san/schema.o
TESTS := $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))

# sample name : template
SAMPLES := liwan-agri-2023:dept-self-eval-report lihu-2023:dept-self-eval-report panyu-agri-2021-table:dept-self-eval-table lihu-2023-review:review-report
# sample name : the data files (data/F.json, + between several) read before
# its own data/NAME.json (the department's figures under an evaluator's)
SAMPLE_BASE := lihu-2023-review:lihu-2023
SAMPLE_PDFS := $(foreach s,$(SAMPLES),samples/$(word 1,$(subst :, ,$(s))).pdf)

.PHONY: all samples test unit e2e golden san check-format format install clean bench bench-peers slurm-example fuzz fuzz-short
all: bin/zpgen

build/gen/schema.c: templates/zpgen.rng
	@mkdir -p $(dir $@)
	@{ echo '/* generated from templates/zpgen.rng */'; \
	  echo 'const char zp_schema_rng[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	  echo ';'; } > $@

build/obj/%.o: gen/%.c $(wildcard gen/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<
build/obj/schema.o: build/gen/schema.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<
build/san/%.o: gen/%.c $(wildcard gen/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -c -o $@ $<
build/san/schema.o: build/gen/schema.c
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

# Modules go into a static library, so that a test links only what it uses.
build/libzp.a: $(OBJS)
	rm -f $@ && ar rcs $@ $^
build/libzp-san.a: $(SAN_OBJS)
	rm -f $@ && ar rcs $@ $^

bin/zpgen: build/obj/main.o build/libzp.a
	@mkdir -p bin
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)
bin/zpgen-san: build/san/main.o build/libzp-san.a
	@mkdir -p bin
	$(CC) $(CFLAGS) $(SAN_FLAGS) -o $@ $^ $(PKG_LIBS)

build/tests/%: tests/%.c tests/docfix.h build/libzp.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -o $@ $< build/libzp.a $(PKG_LIBS) $(CMOCKA_LIBS)
build/san-tests/%: tests/%.c tests/docfix.h build/libzp-san.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) $(CMOCKA_CFLAGS) -o $@ $< build/libzp-san.a $(PKG_LIBS) $(CMOCKA_LIBS)

# sample name : table caption whose pages (the table's first page and every
# page it continues on) are also shown as PNGs
TABLE_PNGS := lihu-2023:表4
# samples whose furniture is also shown as PNGs (page N of the PDF): the
# cover (NAME-cover.png), the contents (NAME-contents.png), the first page
# with footnotes (NAME-footnote-pageN.png), the page with the seal
# (NAME-signature-pageN.png), every landscape page (NAME-annex-pageN.png)
FURNITURE_PNGS := lihu-2023-review

# the --data options of sample $*: its base files, then its own
sample_data = $$(for b in $$(echo "$(SAMPLE_BASE)" | tr ' ' '\n' | grep "^$*:" | \
    cut -d: -f2 | tr '+' ' '); do printf -- '--data data/%s.json ' $$b; done) --data data/$*.json

samples/%.pdf: bin/zpgen
	@mkdir -p samples build
	tpl=$$(echo "$(SAMPLES)" | tr ' ' '\n' | grep "^$*:" | cut -d: -f2); \
	  SOURCE_DATE_EPOCH=0 ./bin/zpgen render --template templates/$$tpl.xml \
	    $(sample_data) --output $@ --dump-layout build/$*.dump
	pdftoppm -r 60 -png -f 1 -l 1 $@ samples/$*-p
	@mv samples/$*-p-*1.png samples/$*-page1.png
	@cap=$$(echo "$(TABLE_PNGS)" | tr ' ' '\n' | grep "^$*:" | cut -d: -f2); \
	  [ -z "$$cap" ] || for p in $$(awk -v c="text=$$cap" \
	    '/^page / { n = $$2 } index($$0, c) { print n }' build/$*.dump | sort -nu); do \
	    pdftoppm -r 60 -png -f $$p -l $$p $@ samples/$*-table; \
	    mv samples/$*-table-*$$p.png samples/$*-$$cap-page$$p.png; done
	@if echo " $(FURNITURE_PNGS) " | grep -q " $* "; then \
	  rm -f samples/$*-footnote-page*.png samples/$*-annex-page*.png samples/$*-signature-page*.png; \
	  pdftoppm -r 60 -png -f 1 -l 1 -singlefile $@ samples/$*-cover; \
	  p=$$(awk '/^page / { n = $$2 } / style=toc / { print n; exit }' build/$*.dump); \
	  pdftoppm -r 60 -png -f $$p -l $$p -singlefile $@ samples/$*-contents; \
	  p=$$(awk '/^page / { n = $$2 } /^  noterule / { print n; exit }' build/$*.dump); \
	  pdftoppm -r 60 -png -f $$p -l $$p -singlefile $@ samples/$*-footnote-page$$p; \
	  p=$$(awk '/^page / { n = $$2 } /^  seal / { print n; exit }' build/$*.dump); \
	  [ -z "$$p" ] || pdftoppm -r 60 -png -f $$p -l $$p -singlefile $@ samples/$*-signature-page$$p; \
	  for p in $$(awk '/^page / { split($$3, s, "x"); if (s[1] + 0 > s[2] + 0) print $$2 }' build/$*.dump); do \
	    pdftoppm -r 60 -png -f $$p -l $$p -singlefile $@ samples/$*-annex-page$$p; done; fi
	@# the debug overlay (--debug) of the first page that broke for a reason
	@# other than being full: samples/NAME-debug.png
	SOURCE_DATE_EPOCH=0 ./bin/zpgen render --debug --template templates/$$(echo "$(SAMPLES)" | \
	    tr ' ' '\n' | grep "^$*:" | cut -d: -f2).xml $(sample_data) --output build/$*-debug.pdf
	p=$$(awk '/^page / && !/ break=(full|end)$$/ { print $$2; exit }' build/$*.dump); \
	  pdftoppm -r 60 -png -f $${p:-1} -l $${p:-1} -singlefile build/$*-debug.pdf samples/$*-debug

samples: bin/zpgen
	@rm -f $(SAMPLE_PDFS)
	$(MAKE) $(SAMPLE_PDFS)

# Unit tests (cmocka), end-to-end tests, golden layout dumps.
unit: $(addprefix build/tests/,$(TESTS))
	@set -e; for t in $^; do echo "== $$t"; ZP_ROOT=$(CURDIR) $$t; done
TOOLS := $(patsubst tests/tools/%.c,build/tools/%,$(wildcard tests/tools/*.c))
build/tools/%: tests/tools/%.c build/libzp.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< build/libzp.a $(PKG_LIBS)
e2e: bin/zpgen $(TOOLS)
	ZPGEN=bin/zpgen sh tests/e2e.sh
	ZPGEN=bin/zpgen sh tests/images.sh
	ZPGEN=bin/zpgen sh tests/batch.sh
	ZPGEN=bin/zpgen sh tests/cli.sh
	ZPGEN=bin/zpgen sh tests/watch.sh
	ZPGEN=bin/zpgen sh tests/import.sh
	ZPGEN=bin/zpgen sh tests/schema.sh
	ZPGEN=bin/zpgen sh tests/tutorial.sh
golden: bin/zpgen $(TOOLS)
	ZPGEN=bin/zpgen sh tests/golden.sh
	ZPGEN=bin/zpgen sh tests/errors.sh
# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer.
san: $(addprefix build/san-tests/,$(TESTS)) bin/zpgen-san
	@set -e; for t in $(addprefix build/san-tests/,$(TESTS)); do echo "== $$t (asan+ubsan)"; \
	  ASAN_OPTIONS=detect_leaks=1 ZP_ROOT=$(CURDIR) $$t; done
	ZPGEN=bin/zpgen-san ASAN_OPTIONS=detect_leaks=1 sh tests/e2e.sh
	ZPGEN=bin/zpgen-san ASAN_OPTIONS=detect_leaks=1 sh tests/images.sh
	ZPGEN=bin/zpgen-san ASAN_OPTIONS=detect_leaks=1 sh tests/batch.sh
	ZPGEN=bin/zpgen-san ASAN_OPTIONS=detect_leaks=1 sh tests/cli.sh
	ZPGEN=bin/zpgen-san ASAN_OPTIONS=detect_leaks=1 sh tests/watch.sh
	ZPGEN=bin/zpgen-san ASAN_OPTIONS=detect_leaks=1 sh tests/import.sh
san: $(TOOLS)

# Fuzzing (libFuzzer, clang from Debian): the JSON loader, the template
# loader + binder, and bind + layout + PDF, under ASan + UBSan, each
# starting from its seed corpus in tests/fuzz/corpus/ (the samples, the
# bad-input fixtures, hand-written edge cases).  New inputs go to
# build/fuzz/corpus/, crashes to build/fuzz/crash-*: a crash found becomes
# a fixture in tests/bad/ or a unit test.
#   make fuzz FUZZ_SECONDS=300     each harness for that long, one at a time
#   make fuzz-short                each for FUZZ_SHORT_SECONDS (in `make test`)
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SHORT_SECONDS ?= 15
FUZZERS := json tmpl render image
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_OBJS := $(patsubst gen/%.c,build/fuzzobj/%.o,$(SRCS)) build/fuzzobj/schema.o
.SECONDARY: $(FUZZ_OBJS)
build/fuzzobj/%.o: gen/%.c $(wildcard gen/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(ALL_CFLAGS) -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c -o $@ $<
build/fuzzobj/schema.o: build/gen/schema.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(ALL_CFLAGS) -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c -o $@ $<
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_OBJS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(ALL_CFLAGS) -O1 $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(PKG_LIBS)
# run_fuzzer NAME SECONDS
run_fuzzer = mkdir -p build/fuzz/corpus/$(1) && \
  ZP_ROOT=$(CURDIR) ASAN_OPTIONS=detect_leaks=1 build/fuzz/fuzz_$(1) \
    -max_total_time=$(2) -timeout=20 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix=build/fuzz/crash-$(1)- build/fuzz/corpus/$(1) tests/fuzz/corpus/$(1) \
    2>build/fuzz/$(1).log || { tail -40 build/fuzz/$(1).log; exit 1; }; \
  grep -E '^stat::number_of_executed_units|^Done' build/fuzz/$(1).log | tr '\n' ' '; echo "($(1), $(2) s)"
fuzz: $(addprefix build/fuzz/fuzz_,$(FUZZERS))
	@set -e; $(foreach f,$(FUZZERS),$(call run_fuzzer,$(f),$(FUZZ_SECONDS));)
fuzz-short: $(addprefix build/fuzz/fuzz_,$(FUZZERS))
	@set -e; $(foreach f,$(FUZZERS),$(call run_fuzzer,$(f),$(FUZZ_SHORT_SECONDS));)

test: unit e2e golden san check-format fuzz-short

check-format:
	clang-format --dry-run --Werror gen/*.c gen/*.h tests/*.c tests/*.h tests/tools/*.c tests/fuzz/*.c tests/fuzz/*.h
format:
	clang-format -i gen/*.c gen/*.h tests/*.c tests/*.h tests/tools/*.c tests/fuzz/*.c tests/fuzz/*.h

# Benchmarks (not tests): one render of each sample and of long tables; a
# batch of 500 varied reports cold, warm and after a shared-file change.
bench: bin/zpgen
	sh bench/run.sh
	sh bench/batch.sh
# zpgen against native Typst on the same content (../shared/peers/typst);
# Typst comes from the npm package @mdxport/linux-x64, installed in build/.
bench-peers: bin/zpgen
	python3 bench/peers.py
# The README's Slurm job-array example on a one-node Slurm started for the
# occasion (slurm-wlm and munge; as root); not part of the tests.
slurm-example: bin/zpgen
	sh scripts/slurm-one-node.sh

install: bin/zpgen
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/zpgen/templates $(DESTDIR)$(PREFIX)/share/zpgen/fonts \
	  $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 bin/zpgen $(DESTDIR)$(PREFIX)/bin/zpgen
	install -m 644 templates/*.xml templates/zpgen.rng $(DESTDIR)$(PREFIX)/share/zpgen/templates/
	install -m 644 fonts/README.md $(DESTDIR)$(PREFIX)/share/zpgen/fonts/
	install -m 644 doc/zpgen.1 $(DESTDIR)$(PREFIX)/share/man/man1/zpgen.1

clean:
	rm -rf build bin
