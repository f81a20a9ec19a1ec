package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) debrief.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "debrief.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
