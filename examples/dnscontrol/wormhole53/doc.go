// Package wormhole53 is a small DNS store for one hosted zone.
//
// A zone holds records identified by name and type: A records (one IPv4 or
// IPv6 address), ALIAS records (one or more weighted targets) and TXT records
// (a free-form value). A name holds at most one record of each type, and never
// both an A and an ALIAS record.
//
// Changes are applied in batches, all or nothing: a CREATE of an existing
// record, or a DELETE that does not match the stored record exactly, rejects
// the whole batch with a *ChangeError naming the failing change. Resolve
// follows aliases down to A records, multiplying weights along the way; a
// cycle, a missing target or a chain deeper than MaxDepth resolves to nothing.
//
// A Store opened with a path persists the zone after every successful batch
// (temporary file, fsync, rename, fsync of the directory) and recovers it on
// Open. A Store is safe for concurrent use.
package wormhole53
