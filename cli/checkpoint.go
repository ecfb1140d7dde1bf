package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"github.com/execspec/execspec/check"
)

// checkpointStrategies names the search strategies that checkpoint.
func checkpointStrategies() []string {
	return checkStrategies(func(in check.StrategyInfo) bool { return in.Checkpoints })
}

// checkpoints sets opts' checkpoints from --checkpoint, --resume and
// --checkpoint-every. A checkpoint is tied to the instance and to the
// runner's executable, which holds the model's compiled code: a model
// edited since (or another execspec) does not resume an old search.
func (s *session[S]) checkpoints(opts *check.Options, f *checkFlags, instance string) error {
	dir := f.checkpoint
	if f.resume != "" {
		dir = f.resume
	}
	if dir == "" {
		return nil
	}
	if !opts.Strategy.Info().Checkpoints {
		return usagef("--checkpoint and --resume need --strategy %s (the search that goes level by level), not %s", joinWords(checkpointStrategies(), "or"), opts.Strategy)
	}
	code, err := executableHash()
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	opts.Checkpoint = check.CheckpointOptions{
		Dir: dir, Every: f.checkpointEvery, Resume: f.resume != "",
		ID: fmt.Sprintf("instance %s, model code %s", instance, code),
		Saved: func(levels int, distinct int64) {
			fmt.Fprintf(s.env.Stderr, "checkpoint: %d levels, %s distinct states saved in %s\n", levels, group(distinct), check.CheckpointPath(dir))
			s.event(checkpointSaved{Levels: levels, Distinct: distinct, Path: check.CheckpointPath(dir)})
		},
	}
	return nil
}

// executableHash returns a hash of this program's executable.
func executableHash() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("reading %s: %w", exe, err)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}
