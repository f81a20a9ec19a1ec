package k8sevents

import (
	"os"
	"testing"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest/ingesttest"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// parseBytes parses data as the file "events.json" and collects what it emits.
// bad receives each bad record; nil means no hook.
func parseBytes(t testing.TB, data []byte, bad func(error) error) ([]*debrief.Event, error) {
	res := ingesttest.ParseData(t, Parse, "events.json", data, bad)
	return res.Events, res.Err
}

// ev builds an expected event with the fields every k8s event shares.
func ev(tm, kind, actor, channel, text, ref string) *debrief.Event {
	return &debrief.Event{
		Time: ingesttest.MustTime(tm), Source: debrief.SourceK8s, Kind: debrief.Kind(kind), Actor: actor,
		Channel: channel, Text: text, Ref: ref, Bot: true, Input: "events.json",
	}
}

var ignoreIdentity = cmpopts.IgnoreFields(debrief.Event{}, "Identity")

func TestParse(t *testing.T) {
	tests := []struct {
		file string
		want []*debrief.Event
	}{
		{"checkout-rollout.json", []*debrief.Event{
			ev("2025-06-02T14:01:12Z", "deploy", "deployment-controller", "shop",
				"Normal ScalingReplicaSet deployment/checkout: Scaled up replica set checkout-7d9f6c8b5 to 1",
				"0b6f3c1e-8a52-4d3e-9b61-2f1c7e4a9d10"),
			ev("2025-06-02T14:01:12.418733Z", "infra", "default-scheduler", "shop",
				"Normal Scheduled pod/checkout-7d9f6c8b5-x2kqp: Successfully assigned shop/checkout-7d9f6c8b5-x2kqp to gke-prod-pool-2-9f3b",
				"5d2a9e47-1c3b-4f08-a6d2-7e9b0c4f1a23"),
			ev("2025-06-02T14:01:15Z", "infra", "kubelet", "shop",
				"Warning BackOff pod/checkout-7d9f6c8b5-x2kqp (x14 until 14:22:05Z): Back-off restarting failed container checkout in pod checkout-7d9f6c8b5-x2kqp_shop(4f1e2d3c)",
				"9e0c4b7a-33d1-4c5e-8f2a-b61d0e7c5a94"),
			ev("2025-06-02T14:01:20.00512Z", "infra", "kubelet", "shop",
				"Warning Unhealthy pod/checkout-7d9f6c8b5-x2kqp (x31 until 2025-06-03T00:10:02.25Z): Readiness probe failed: HTTP probe failed with statuscode: 503",
				"c3a1f5e2-7b94-4d60-9a0e-1f2b3c4d5e6f"),
			ev("2025-06-02T14:24:31Z", "deploy", "deployment-controller", "shop",
				"Normal ScalingReplicaSet deployment/checkout: Scaled down replica set checkout-7d9f6c8b5 to 0 from 1",
				"e7f8a9b0-1c2d-4e3f-8a5b-6c7d8e9f0a1b"),
			ev("2025-06-02T14:24:31Z", "deploy", "deployment-controller", "shop",
				"Normal ScalingReplicaSet deployment/checkout: Scaled up replica set checkout-5b8c4d9f7 to 3 from 2",
				"f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9"),
			ev("2025-06-02T13:58:40Z", "infra", "deployment-controller", "search",
				"Normal ScalingReplicaSet deployment/search-api: Scaled up replica set search-api-66f7b9c4d to 6 from 4",
				"a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"),
			ev("2025-06-02T14:05:09Z", "infra", "kubelet", "default",
				"Warning NodeHasDiskPressure node/gke-prod-pool-2-9f3b: Node gke-prod-pool-2-9f3b status is now: NodeHasDiskPressure",
				"b9c8d7e6-f5a4-4b3c-9d2e-1f0a9b8c7d6e"),
		}},
		{"events-k8s-io.json", []*debrief.Event{
			ev("2025-06-02T14:07:51Z", "infra", "kubelet", "search",
				"Warning OOMKilling pod/search-indexer-0 (x3 until 14:12:03Z): Memory cgroup out of memory: Killed process 48213 (java) total-vm:9876544kB",
				"2c4e6a8b-0d1f-4a3c-9e5b-7d9f1b3d5f70"),
			ev("2025-06-02T14:08:00.1205Z", "infra", "statefulset-controller", "search",
				"Normal SuccessfulCreate statefulset/search-indexer: create Pod search-indexer-0 in StatefulSet search-indexer successful",
				"7a9c1e3f-5b7d-4f91-a3c5-e7f9b1d3f5a7"),
		}},
		{"watch-stream.json", []*debrief.Event{
			ev("2025-06-02T14:02:00Z", "infra", "kubelet", "shop",
				`Warning Unhealthy pod/checkout-7d9f6c8b5-x2kqp (x3 until 14:02:20Z): Liveness probe failed: Get "http://10.8.3.17:8080/healthz": context deadline exceeded`,
				"d4c3b2a1-0f9e-4d8c-b7a6-958473625140"),
			ev("2025-06-02T14:02:21Z", "infra", "kubelet", "shop",
				"Normal Killing pod/checkout-7d9f6c8b5-x2kqp: Container checkout failed liveness probe, will be restarted",
				"17283946-5a6b-4c7d-8e9f-a0b1c2d3e4f5"),
		}},
		{"single-event.json", []*debrief.Event{
			ev("2025-06-02T14:03:44Z", "infra", "external-resizer pd.csi.storage.gke.io", "shop",
				`Warning VolumeResizeFailed persistentvolumeclaim/data-checkout-db-0: resize volume "pvc-8c1f" by resizer "pd.csi.storage.gke.io" failed: rpc error: code = ResourceExhausted desc = quota exceeded`,
				"6e5d4c3b-2a19-4807-b6f5-e4d3c2b1a097"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			got, err := parseBytes(t, data, nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, ignoreIdentity); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIdentityShared(t *testing.T) {
	data, err := os.ReadFile("testdata/checkout-rollout.json")
	if err != nil {
		t.Fatal(err)
	}
	got, err := parseBytes(t, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := &debrief.Identity{Source: debrief.SourceK8s, Handle: "kubelet", Bot: true}
	if diff := cmp.Diff(want, got[2].Identity); diff != "" {
		t.Errorf("identity (-want +got):\n%s", diff)
	}
	if got[2].Identity != got[3].Identity {
		t.Error("two kubelet events carry different Identity pointers; want one per actor")
	}
}

func TestOpenShiftCompact(t *testing.T) {
	data := []byte(`{"items":[{"namespace":"openshift-machine-api","lastTimestamp":"2022-08-24T11:40:44+02:00",` +
		`"reason":"FailedUpdate","message":"m1: reconciler failed to Update machine: requeue in: 20s","type":"Warning"}]}`)
	got, err := parseBytes(t, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []*debrief.Event{{
		Time: ingesttest.MustTime("2022-08-24T09:40:44Z"), Source: debrief.SourceK8s, Kind: debrief.KindInfra,
		Channel: "openshift-machine-api", Text: "Warning FailedUpdate: m1: reconciler failed to Update machine: requeue in: 20s",
		Bot: true, Input: "events.json",
	}}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(debrief.Event{}, "Ref")); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	again, _ := parseBytes(t, data, nil)
	if got[0].Ref == "" || got[0].Ref != again[0].Ref {
		t.Errorf("Ref %q then %q; want one stable non-empty ref", got[0].Ref, again[0].Ref)
	}
}

func TestBadRecords(t *testing.T) {
	data, err := os.ReadFile("testdata/bad-items.json")
	if err != nil {
		t.Fatal(err)
	}
	res := ingesttest.ParseData(t, Parse, "events.json", data, ingesttest.Skip)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if diff := cmp.Diff([]int{12, 15, 23, 31, 38}, ingesttest.BadLines(t, res.Bad)); diff != "" {
		t.Errorf("bad record lines (-want +got):\n%s", diff)
	}
	if got := res.Events; len(got) != 1 || got[0].Ref != "u-5" {
		t.Errorf("got %d events; want only the good one (u-5)", len(got))
	}

	// Without a hook the first bad record stops the parse.
	_, err = parseBytes(t, data, nil)
	if ie := ingesttest.AsInputError(t, err); ie.Line != 12 {
		t.Errorf("error %v; want an input error at line 12", err)
	}
}

func TestWholeInputErrors(t *testing.T) {
	ingesttest.CheckInputErrors(t, Parse, "events.json", ingesttest.Skip, []ingesttest.InputErrorCase{
		{"truncated", "{\n  \"kind\": \"EventList\",\n  \"items\": [\n    {\"reason\": \"BackOff\"", 4, "truncated"},
		{"invalid", "{\n  \"kind\": \"EventList\",\n  \"items\": [ }\n}", 3, "invalid JSON"},
		{"empty", "  \n", 1, "empty"},
		{"scalar", "\n42", 2, "found a number"},
		{"items not array", `{"kind":"EventList","items":{"a":1}}`, 1, `"items" as an array`},
	})
}

func TestArrayOfEnvelopes(t *testing.T) {
	data := []byte(`[{"type":"ADDED","object":{"kind":"Event","metadata":{"uid":"u-9","namespace":"search"},` +
		`"involvedObject":{"kind":"Pod","name":"search-api-66f7b9c4d-q8x2n"},"reason":"Evicted",` +
		`"message":"The node was low on resource: memory.","source":{"component":"kubelet"},` +
		`"firstTimestamp":"2025-06-02T14:06:40Z","count":1,"type":"Warning"}}]`)
	got, err := parseBytes(t, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []*debrief.Event{ev("2025-06-02T14:06:40Z", "infra", "kubelet", "search",
		"Warning Evicted pod/search-api-66f7b9c4d-q8x2n: The node was low on resource: memory.", "u-9")}
	if diff := cmp.Diff(want, got, ignoreIdentity); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}
