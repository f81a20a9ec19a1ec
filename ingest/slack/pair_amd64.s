#include "textflag.h"

// func pairBlocks(b []byte, first, last byte, dist int) (i int, found bool)
//
// Looks 32 positions at a time for the first i with b[i] == first and
// b[i+dist] == last, over the positions whose 32-byte blocks at i and
// i+dist lie inside b. found reports whether it met one; if not, i is
// the first position it did not look at.
TEXT ·pairBlocks(SB), NOSPLIT, $0-49
	MOVQ b_base+0(FP), SI
	MOVQ b_len+8(FP), CX
	MOVQ dist+32(FP), DI
	XORQ AX, AX
	VPBROADCASTB first+24(FP), Y1
	VPBROADCASTB last+25(FP), Y2
	// The blocks at AX and AX+dist must end by len(b).
	SUBQ DI, CX
	JLE  none
	LEAQ (SI)(DI*1), R8

loop:
	LEAQ 32(AX), DX
	CMPQ DX, CX
	JA   none
	VPCMPEQB (SI)(AX*1), Y1, Y3
	VPCMPEQB (R8)(AX*1), Y2, Y4
	VPAND    Y3, Y4, Y3
	VPMOVMSKB Y3, BX
	TESTL    BX, BX
	JNZ      found
	MOVQ     DX, AX
	JMP      loop

found:
	BSFL BX, BX
	ADDQ BX, AX
	VZEROUPPER
	MOVQ AX, i+40(FP)
	MOVB $1, found+48(FP)
	RET

none:
	VZEROUPPER
	MOVQ AX, i+40(FP)
	MOVB $0, found+48(FP)
	RET
