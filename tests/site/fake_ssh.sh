#!/bin/sh
# A stand-in for ssh: drops the options and the host, then runs the command on this
# machine, so rsync's remote side and the server steps of `publish` run locally.
while [ $# -gt 0 ]; do
  case $1 in
    -l|-p|-o|-i|-F|-J) shift 2 ;;
    -*) shift ;;
    *) break ;;
  esac
done
shift
if [ -n "${FAKE_SSH_LOG:-}" ]; then echo call >> "$FAKE_SSH_LOG"; fi
exec sh -c "$*"
