//! CPU time as Linux counts it in `/proc` (in USER_HZ, 100 a second), so
//! that the bench can say where a commit's CPU goes: the whole machine's
//! busy time over a phase, and that of single processes.

const HZ: f64 = 100.0;

/// Seconds of CPU the whole machine has been busy (every core; all but
/// idle and iowait) since boot; 0 where `/proc/stat` cannot be read.
pub fn machine() -> f64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let Some(cpu) = stat.lines().next() else {
        return 0.0;
    };
    let ticks: Vec<f64> = cpu
        .split_whitespace()
        .skip(1)
        .filter_map(|t| t.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal ...
    let busy: f64 = ticks
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 3 && *i != 4)
        .take(6)
        .map(|(_, t)| t)
        .sum();
    busy / HZ
}

/// Seconds of CPU (user and system) process `pid` has used, its threads
/// included; 0 where it cannot be read.
pub fn process(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // After the command's name, in parentheses: state is field 3, utime 14.
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return 0.0;
    };
    let fields: Vec<f64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|t| t.parse().ok())
        .collect();
    fields.iter().sum::<f64>() / HZ
}
