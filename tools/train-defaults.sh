#!/usr/bin/env bash
# The path the training issue names; the script itself lives with the other training tools.
exec "$(dirname "$0")/training/train-defaults.sh" "$@"
