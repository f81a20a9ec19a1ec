//go:build race

package hugeheap

// raceEnabled: the race detector maps shadow memory for every allocation,
// touching pages for the advised block that a normal build never touches.
const raceEnabled = true
