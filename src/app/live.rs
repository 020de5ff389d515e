//! Hearing other processes' commits: a thread of its own waits on the
//! backend's subscription (its own connection) and sends what it hears to
//! the desk's loop, which takes it as messages between keys. A burst of
//! commits comes as one message; a lost connection is said and retried.

use crate::store::{Backend, Subscription};
use crate::ui::Msg;
use crate::ui::model::Heard;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

/// How long one wait on the connection lasts (the thread's stop is
/// checked between waits).
const WAIT: Duration = Duration::from_millis(500);
/// After a first commit is heard, how long more come into the same message.
const BURST: Duration = Duration::from_millis(150);
/// Between attempts to listen again after a loss: first, and at most.
const RETRY_FIRST: Duration = Duration::from_millis(500);
const RETRY_MOST: Duration = Duration::from_secs(8);

/// The listener of one desk; it stops when dropped.
pub struct Listener {
    heard: Receiver<Heard>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl Listener {
    /// Starts listening to `backend`; `None` when it never tells (sled).
    /// Listening that cannot start is said (`Heard::Lost`) and retried.
    pub fn start(backend: Arc<dyn Backend>) -> Option<Listener> {
        let (send, heard) = channel();
        let first = match backend.subscribe() {
            Ok(Some(s)) => Some(s),
            Ok(None) => return None,
            Err(e) => {
                let _ = send.send(Heard::Lost(e.to_string()));
                None
            }
        };
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let spawned = std::thread::Builder::new()
            .name("saps-listen".into())
            .spawn(move || listen(&*backend, first, &send, &stopped));
        match spawned {
            Ok(thread) => Some(Listener {
                heard,
                stop,
                thread: Some(thread),
            }),
            Err(e) => {
                // No thread: the desk works as on a file, and says so.
                let (send, heard) = channel();
                let _ = send.send(Heard::Lost(format!("cannot start listening: {e}")));
                Some(Listener {
                    heard,
                    stop,
                    thread: None,
                })
            }
        }
    }

    /// Stops the thread and waits for its connection to close (within
    /// one wait); dropping only asks it to stop.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// What was heard since the last call, as messages (the commits of a
    /// burst as one), without waiting.
    pub fn pending(&self) -> Vec<Msg> {
        coalesce(self.heard.try_iter())
    }

    /// Waits at most `timeout` for something to be heard, then takes all
    /// that is pending (the tests wait on a second writer this way).
    pub fn wait(&self, timeout: Duration) -> Vec<Msg> {
        match self.heard.recv_timeout(timeout) {
            Ok(first) => coalesce(std::iter::once(first).chain(self.heard.try_iter())),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => Vec::new(),
        }
    }
}

/// In order, except that every commit heard comes as one, last.
fn coalesce(heard: impl Iterator<Item = Heard>) -> Vec<Msg> {
    let mut out = Vec::new();
    let mut newest = None;
    for h in heard {
        match h {
            Heard::Changed(seq) => newest = newest.max(Some(seq)),
            other => out.push(Msg::Live(other)),
        }
    }
    out.extend(newest.map(|seq| Msg::Live(Heard::Changed(seq))));
    out
}

/// The thread: waits, sends, and on a lost connection says so and listens
/// again, waiting longer each time it fails.
fn listen(
    backend: &dyn Backend,
    first: Option<Box<dyn Subscription>>,
    send: &Sender<Heard>,
    stop: &AtomicBool,
) {
    let mut sub = match first {
        Some(s) => s,
        None => match again(backend, stop) {
            Some(s) if send.send(Heard::Back).is_ok() => s,
            _ => return,
        },
    };
    while !stop.load(Ordering::Relaxed) {
        let heard = match sub.wait(WAIT) {
            Ok(None) => continue,
            Ok(Some(seq)) => Heard::Changed(burst(&mut *sub, seq)),
            Err(e) => {
                if send.send(Heard::Lost(e.to_string())).is_err() {
                    return;
                }
                match again(backend, stop) {
                    Some(s) => sub = s,
                    None => return,
                }
                Heard::Back
            }
        };
        if send.send(heard).is_err() {
            return;
        }
    }
}

/// The newest seq of the commits that come within `BURST` of the first.
fn burst(sub: &mut dyn Subscription, first: u64) -> u64 {
    let until = Instant::now() + BURST;
    let mut newest = first;
    while let Some(left) = until.checked_duration_since(Instant::now()) {
        match sub.wait(left) {
            Ok(Some(seq)) => newest = newest.max(seq),
            // An error shows on the next wait.
            Ok(None) | Err(_) => break,
        }
    }
    newest
}

/// Subscribes again until it works (or the desk is gone).
fn again(backend: &dyn Backend, stop: &AtomicBool) -> Option<Box<dyn Subscription>> {
    let mut pause = RETRY_FIRST;
    loop {
        let until = Instant::now() + pause;
        while Instant::now() < until {
            if stop.load(Ordering::Relaxed) {
                return None;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        match backend.subscribe() {
            Ok(Some(s)) => return Some(s),
            Ok(None) => return None,
            Err(_) => pause = (pause * 2).min(RETRY_MOST),
        }
    }
}
