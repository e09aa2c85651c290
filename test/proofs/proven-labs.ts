// The labs whose recorded runs prove the graders in the fast tier.
export const provenLabs = ["trixie"] as const;
