/*
 * marker_fd.h - the descriptor a workload writes its markers to
 * (WATTLOG_MARKER_FD): one that can neither kill nor block it.
 *
 * A pipe's or FIFO's write end raises SIGPIPE once its last reader is gone
 * (the recorder killed, rank 0's recorder exited).  The workload gets
 * instead the same pipe opened O_RDWR | O_NONBLOCK: it is a reader itself,
 * so a write never fails with EPIPE; once the pipe is full (nobody drains
 * it) a write fails with EAGAIN and the marker is dropped.  Memory stays
 * bounded by the pipe's size.  The workload never reads from it.
 *
 * dash's `>&N` takes a single digit, so the descriptor is placed at 3-9.
 * Libc only.
 */
#ifndef WATTLOG_RECORD_MARKER_FD_H
#define WATTLOG_RECORD_MARKER_FD_H

/*
 * Opens the pipe of write end wr_fd again, O_RDWR | O_NONBLOCK | O_CLOEXEC,
 * through /proc/self/fd.  Returns the new fd (wr_fd is left open), or -1
 * with errno set (no /proc).
 */
int wl_marker_fd_reopen(int wr_fd);

/*
 * Opens FIFO path O_RDWR | O_NONBLOCK | O_CLOEXEC (Linux: never waits for
 * a reader).  Returns the fd or -1 with errno set.
 */
int wl_marker_fd_open_fifo(const char *path);

/*
 * In a process about to exec: moves fd to the lowest number in 3-9 that is
 * free or will be closed at exec (close-on-exec), other than keep (an fd
 * still needed until exec, or -1), clears close-on-exec, and returns the
 * number.  Inherited descriptors are never replaced.  When all of 3-9 are
 * inherited, fd stays where it is (also without close-on-exec) and the
 * number returned is above 9.  Async-signal-safe (fcntl, dup2, close).
 */
int wl_marker_fd_place(int fd, int keep);

#endif
