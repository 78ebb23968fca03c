import { useEffect, useState } from 'preact/hooks';
import { formatRemaining } from '../lib/request-facts';

/** The current time, refreshed every second while mounted. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** Time left until a deadline, in words, with the exact time for reference. */
export function Countdown(props: { deadline: string | undefined }) {
  const now = useNow();
  if (!props.deadline) return <span>No deadline</span>;
  const at = new Date(props.deadline);
  const remaining = at.getTime() - now;
  const urgent = remaining < 15 * 60_000;
  return (
    <time dateTime={props.deadline} title={at.toLocaleString()} class={urgent ? 'urgent' : ''}>
      {remaining > 0 ? `${formatRemaining(remaining)} left` : 'Deadline passed'}
    </time>
  );
}
