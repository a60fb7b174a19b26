// Errors meant for the user: printed as one line (no stack trace unless --debug), non-zero exit.

export class UserError extends Error {
  constructor(
    message: string,
    /** What to do about it, appended to the message. */
    readonly hint?: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }

  /** The single line shown to the user. */
  line(): string {
    return this.hint ? `${this.message}. ${this.hint}` : this.message;
  }
}

/** The user pressed Ctrl-C at a prompt: exit 130 like a shell does. */
export class Cancelled extends UserError {
  constructor() {
    super('Cancelled; nothing was written', undefined, 130);
  }
}
