import { useState, type Dispatch, type SetStateAction } from "react";

/**
 * Local state that starts at `source` and is set to it again whenever `source` changes (a search
 * field following the URL's `q`). It follows during render, not in an effect: an effect run after
 * the first paint would wipe what a quick person (or a test) typed in the meantime.
 */
export function useFollowedState<T>(source: T): [T, Dispatch<SetStateAction<T>>] {
  const [value, setValue] = useState(source);
  const [followed, setFollowed] = useState(source);
  if (!Object.is(followed, source)) {
    setFollowed(source);
    setValue(source);
  }
  return [value, setValue];
}
