package slack

import "golang.org/x/sys/cpu"

// usePairBlocks is whether pairBlocks may run: it needs AVX2.
var usePairBlocks = cpu.X86.HasAVX2

// pairBlocks is in pair_amd64.s.
//
//go:noescape
func pairBlocks(b []byte, first, last byte, dist int) (i int, found bool)
