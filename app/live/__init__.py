"""The live stream: following the log and pushing every change to sockets."""
