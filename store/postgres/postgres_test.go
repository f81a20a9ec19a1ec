package postgres

import (
	"context"
	"testing"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/internal/pgtest"
	"github.com/debriefhq/debrief/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) debrief.Store {
		s, err := Open(context.Background(), pgtest.DSN(t))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
