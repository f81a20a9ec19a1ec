package k8sevents

import (
	"context"
	"strings"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// emitAll turns the events read into timeline events, in the order they first
// appeared in the input.
func (d *document) emitAll(ctx context.Context, emit ingest.Emit) error {
	rollouts := rollouts(d.items)
	actors := make(map[string]*debrief.Identity)
	for i := range d.items {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := emit(d.build(&d.items[i], rollouts, actors)); err != nil {
			return err
		}
	}
	return nil
}

// build makes the timeline event of one item.
func (d *document) build(it *item, rollouts map[string]bool, actors map[string]*debrief.Identity) *debrief.Event {
	actor := firstOf(it.w.reporter(), d.in.Actor)
	ev := &debrief.Event{
		Time:    it.first,
		Source:  debrief.SourceK8s,
		Kind:    kind(&it.w, rollouts),
		Actor:   actor,
		Channel: it.w.namespace(),
		Text:    text(it),
		Ref:     it.ref,
		Bot:     true,
		Input:   d.in.Name,
	}
	if actor != "" {
		id, ok := actors[actor]
		if !ok {
			id = &debrief.Identity{Source: debrief.SourceK8s, Handle: actor, Bot: true}
			actors[actor] = id
		}
		ev.Identity = id
	}
	return ev
}

// kind is KindDeploy for the deployment controller's ScalingReplicaSet when it
// is part of a rollout (or rollback) and KindInfra for everything else.
//
// The deployment controller reports ScalingReplicaSet for a rollout, which
// moves replicas from the old ReplicaSet to a new one, and also for a scale
// by hand or by an autoscaler, which resizes the one ReplicaSet there is.
// Only a rollout is a change a retro asks about, so a Deployment counts as
// rolled out when its events in this input scale two or more ReplicaSets.
func kind(w *wireEvent, rollouts map[string]bool) debrief.Kind {
	switch w.Reason {
	case "DeploymentRollback":
		return debrief.KindDeploy
	case "ScalingReplicaSet":
		if rollouts[deploymentKey(w)] {
			return debrief.KindDeploy
		}
	}
	return debrief.KindInfra
}

// rollouts finds the Deployments whose ScalingReplicaSet events name two or
// more ReplicaSets.
func rollouts(items []item) map[string]bool {
	sets := make(map[string]map[string]bool)
	for i := range items {
		w := &items[i].w
		rs := scaledReplicaSet(w.message())
		if w.Reason != "ScalingReplicaSet" || rs == "" {
			continue
		}
		key := deploymentKey(w)
		if sets[key] == nil {
			sets[key] = make(map[string]bool)
		}
		sets[key][rs] = true
	}
	out := make(map[string]bool)
	for key, names := range sets {
		out[key] = len(names) >= 2
	}
	return out
}

func deploymentKey(w *wireEvent) string {
	return w.namespace() + "/" + w.object().Name
}

// scaledReplicaSet reads the ReplicaSet's name from "Scaled up replica set
// checkout-7d9f6c to 3" (and "Scaled down ...", "... to 0 from 2").
func scaledReplicaSet(msg string) string {
	_, rest, ok := strings.Cut(msg, "replica set ")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, " ")
	return name
}
