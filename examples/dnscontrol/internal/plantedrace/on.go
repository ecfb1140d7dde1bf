//go:build dnsrace

package plantedrace

// On is true: this build has the planted race (the dnsrace build tag).
const On = true
