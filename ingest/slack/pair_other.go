//go:build !amd64

package slack

const usePairBlocks = false

func pairBlocks(b []byte, first, last byte, dist int) (int, bool) { return 0, false }
