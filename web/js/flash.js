// A message for the next page the router draws ("Your account has been deleted"), shown at its top
// and read out. Kept in memory only: it is meant for the very next page, not for a reload.
let pending = null;

export function setFlash(message, kind = 'ok') {
  pending = { message, kind };
}

export function takeFlash() {
  const f = pending;
  pending = null;
  return f;
}
