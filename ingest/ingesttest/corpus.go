package ingesttest

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/debriefhq/debrief/ingest"
)

// corpusFallback is where the corpus is from a parser package's folder
// (ingest/<format>), should the module's folder not be found.
const corpusFallback = "../../../shared/corpus"

// CorpusPath joins elem to the folder of the shared corpus of real
// third-party samples (shared/corpus beside the module's folder), as a path
// from the working directory, which in a test is its package's folder. It
// does not check that the corpus is there: fuzz tests glob it for seeds and
// do with fewer when it is absent.
func CorpusPath(elem ...string) string {
	return filepath.Join(append([]string{corpusRoot()}, elem...)...)
}

// corpusRoot finds the corpus from the folder that holds go.mod, so that
// packages at any depth find it.
//
// DEBRIEF_CORPUS names it explicitly; a checkout outside this workplace's
// layout (a clone in /tmp) also finds /work/shared/corpus.
func corpusRoot() string {
	if env := os.Getenv("DEBRIEF_CORPUS"); env != "" {
		return env
	}
	root := corpusBesideModule()
	if _, err := os.Stat(root); err != nil {
		if _, err := os.Stat(workplaceCorpus); err == nil {
			return workplaceCorpus
		}
	}
	return root
}

// workplaceCorpus is where this project's machines keep the shared corpus.
const workplaceCorpus = "/work/shared/corpus"

func corpusBesideModule() string {
	wd, err := os.Getwd()
	if err != nil {
		return corpusFallback
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			rel, err := filepath.Rel(wd, filepath.Join(filepath.Dir(dir), "shared", "corpus"))
			if err != nil {
				return corpusFallback
			}
			return rel
		}
		if filepath.Dir(dir) == dir {
			return corpusFallback
		}
	}
}

// Absent reports real-world data a test needs and cannot find. On a
// developer's laptop without ../shared the test skips, loudly; with CI=true
// (or DEBRIEF_CORPUS set) it fails, because CI runs where the corpus is and
// a skipped check proves nothing.
func Absent(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") == "true" || os.Getenv("DEBRIEF_CORPUS") != "" {
		t.Fatalf("REAL-WORLD DATA ABSENT: %s", msg)
	}
	t.Skipf("SKIPPING, real-world data absent: %s; the real-world samples were NOT checked", msg)
}

// CorpusDir returns the folder of category in the shared corpus, or the
// corpus itself for "". Where either is missing, see Absent.
func CorpusDir(t testing.TB, category string) string {
	t.Helper()
	root := corpusRoot()
	if _, err := os.Stat(root); err != nil {
		Absent(t, "corpus %s not found (%v)", root, err)
	}
	dir := filepath.Join(root, category)
	if _, err := os.Stat(dir); err != nil {
		Absent(t, "no %s samples at %s (%v)", category, dir, err)
	}
	return dir
}

// CorpusFiles returns the files of category in the shared corpus, in lexical
// order, skipping or failing the test as CorpusDir does when it is absent.
func CorpusFiles(t testing.TB, category string) []string {
	t.Helper()
	return walkFiles(t, CorpusDir(t, category), "")
}

// CorpusFilesExcept returns every file of the shared corpus outside the
// folder of category, the corpus's own README and MANIFEST included: none of
// them is category's to claim when sniffing. A category with no folder (there
// is none for generic CSV) leaves nothing out. It skips or fails the test as
// CorpusDir does when the corpus is absent.
func CorpusFilesExcept(t testing.TB, category string) []string {
	t.Helper()
	root := CorpusDir(t, "")
	return walkFiles(t, root, filepath.Join(root, category))
}

// walkFiles lists the regular files under root, leaving out the folder
// except (none when except is root).
func walkFiles(t testing.TB, root, except string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && path == except && path != root:
			return fs.SkipDir
		case d.Type().IsRegular():
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// ParseCorpus parses each file of category in the shared corpus in a subtest
// named after the file, as a user would name it and with no Bad hook, so that
// any bad record fails it; check then looks at what the file gave (WantEvents
// where every sample holds events). It fails when the category holds no
// files, and skips or fails as CorpusDir does when the corpus is absent.
func ParseCorpus(t *testing.T, parse ingest.ParserFunc, category string, check func(t *testing.T, path string, res Result)) {
	t.Helper()
	files := CorpusFiles(t, category)
	if len(files) == 0 {
		t.Fatalf("the %s corpus is empty", category)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			res := ParseFile(t, parse, os.DirFS(filepath.Dir(path)), filepath.Base(path), nil)
			if res.Err != nil {
				t.Fatalf("parse: %v", res.Err)
			}
			t.Logf("%d events, notes %q", len(res.Events), res.Notes)
			check(t, path, res)
		})
	}
}

// WantEvents is a ParseCorpus check for formats whose every real sample holds
// events: it fails the subtest of a file that gave none.
func WantEvents(t *testing.T, _ string, res Result) {
	t.Helper()
	if len(res.Events) == 0 {
		t.Fatal("no events")
	}
}

// Head returns the first 64 KiB of the file at path: what the registry gives
// a Sniff function.
func Head(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 64<<10))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// SniffAtLeast checks that sniff scores each of files, its own format's
// samples, at least least, and returns the lowest score it gave: the bar that
// other formats' samples must stay under, so that detection never prefers
// them.
func SniffAtLeast(t testing.TB, sniff func(head []byte, name string) int, files []string, least int) int {
	t.Helper()
	lowest := 100
	for _, path := range files {
		score := sniff(Head(t, path), filepath.Base(path))
		if score < least {
			t.Errorf("Sniff(%s) = %d, want at least %d", path, score, least)
		}
		lowest = min(lowest, score)
	}
	return lowest
}

// SniffBelow checks that sniff scores each of files, other formats' samples,
// below limit.
func SniffBelow(t testing.TB, sniff func(head []byte, name string) int, files []string, limit int) {
	t.Helper()
	for _, path := range files {
		if score := sniff(Head(t, path), filepath.Base(path)); score >= limit {
			t.Errorf("Sniff(%s) = %d, want below %d", path, score, limit)
		}
	}
}

// CheckSniff checks that sniff claims category's samples, and more surely
// than anything else: own (the package's testdata) and category's files in
// the corpus must score at least least, and others (another format's
// testdata) and every other file of the corpus below the lowest of those
// scores. It checks the testdata before it skips, or fails in CI, as
// CorpusDir does when the corpus is absent.
func CheckSniff(t testing.TB, sniff func(head []byte, name string) int, category string, least int, own, others []string) {
	t.Helper()
	samples, _ := filepath.Glob(CorpusPath(category, "*", "*"))
	lowest := SniffAtLeast(t, sniff, append(own, samples...), least)
	SniffBelow(t, sniff, others, lowest)
	SniffBelow(t, sniff, CorpusFilesExcept(t, category), lowest)
}
