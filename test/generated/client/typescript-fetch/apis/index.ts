export * from './ParticipantsApi';
