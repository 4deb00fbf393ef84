import { Alert } from "antd";

/**
 * The problems an answer named that belong to no field of the form: one is the alert's message,
 * several are listed under `title`. Nothing when there are none.
 */
export function ProblemAlert({ messages, title }: { messages: string[]; title: string }) {
  if (messages.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      className="form-alert"
      message={messages.length === 1 ? messages[0] : title}
      description={messages.length > 1 ? <ul>{messages.map((m) => <li key={m}>{m}</li>)}</ul> : undefined}
    />
  );
}
