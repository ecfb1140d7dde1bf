//go:build !dnsrace

package plantedrace

// On is false: the race is not planted (build with -tags dnsrace to plant it).
const On = false
